"""Demo databases: Changning (seed 000, with its address base), 乌审旗 (seed 002), and the device and
service events added to them. Everything synthetic is labelled so."""
