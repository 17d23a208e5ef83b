"""The bounded worker that parses one Excel file: `python -m data.importing.worker`.

Reads (file name, bytes, kind, sheet, memory limit) pickled on stdin, limits its own address
space and writes ("ok", (sheet, sheets, grid)) or ("error", Chinese message) pickled on stdout.
A library that aborts on a hostile file (calamine on a far cell) ends only this process.
"""

from __future__ import annotations

import pickle
import resource
import sys


def main() -> None:
    """Parse the file given on stdin within the memory limit it names."""
    file_name, data, kind, sheet, memory = pickle.load(sys.stdin.buffer)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from data.importing import read

    try:
        answer = ("ok", read.grid_excel(file_name, data, kind, sheet))
    except read.FileRefused as exc:
        answer = ("refused", (exc.key, exc.params))
    except read.ReadError as exc:
        answer = ("error", str(exc))
    except MemoryError:
        answer = (
            "error",
            f"{file_name}：文件内容过大，读取时超出内存上限，未导入。请拆分后再导入。",
        )
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main()
