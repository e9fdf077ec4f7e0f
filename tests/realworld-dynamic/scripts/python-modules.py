# Extension modules that python3.11 dlopens, each with its own libraries:
# _sqlite3 (libsqlite3), _decimal (libmpdec), zlib, _ctypes (libffi, calling
# back into libc), threads with a queue.
import ctypes
import decimal
import queue
import sqlite3
import threading
import zlib
from collections import Counter, OrderedDict
from itertools import accumulate, groupby, permutations

db = sqlite3.connect(":memory:")
db.execute("create table t(k text, v integer)")
db.executemany("insert into t values (?, ?)", [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5)])
print(db.execute("select k, sum(v), count(*) from t group by k order by k").fetchall())
print(sqlite3.sqlite_version_info >= (3, 0, 0))

decimal.getcontext().prec = 30
print(decimal.Decimal(1) / decimal.Decimal(7), decimal.Decimal("1.10") + decimal.Decimal("2.205"))

data = b"salty " * 1000
packed = zlib.compress(data, 9)
print(len(data), len(packed) < 100, zlib.decompress(packed) == data, hex(zlib.crc32(data)))

libc = ctypes.CDLL(None)
libc.strlen.restype = ctypes.c_size_t
print("strlen", libc.strlen(b"dynamic linking"))
CMP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))
values = (ctypes.c_int * 6)(5, 1, 4, 2, 6, 3)
libc.qsort(values, len(values), ctypes.sizeof(ctypes.c_int), CMP(lambda a, b: a[0] - b[0]))
print("qsort", list(values))

work = queue.Queue()
results = []
lock = threading.Lock()


def worker():
    while True:
        n = work.get()
        if n is None:
            return
        with lock:
            results.append(n * n)


threads = [threading.Thread(target=worker) for _ in range(3)]
for t in threads:
    t.start()
for n in range(20):
    work.put(n)
for _ in threads:
    work.put(None)
for t in threads:
    t.join()
print("threads", sorted(results)[-3:], sum(results))

print(Counter("mississippi").most_common(2), list(OrderedDict.fromkeys("abracadabra")))
print(list(accumulate(range(1, 6))), [k for k, _ in groupby("aabbbc")], len(list(permutations(range(4)))))
