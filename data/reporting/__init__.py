"""The weekly bulletin's numbers and words, and its published issues."""
