# Classes, generators, json, re, hashlib and a subprocess, for the real-world
# dynamic tests (run by python3.11 from Debian's arm64 packages).
import hashlib
import json
import re
import subprocess
import sys


class Shape:
    def __init__(self, name):
        self.name = name

    def area(self):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, area={self.area():.2f})"


class Rect(Shape):
    def __init__(self, name, w, h):
        super().__init__(name)
        self.w, self.h = w, h

    def area(self):
        return self.w * self.h


class Circle(Shape):
    def __init__(self, name, r):
        super().__init__(name)
        self.r = r

    def area(self):
        return 3.141592653589793 * self.r * self.r


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def take(n, it):
    for _, x in zip(range(n), it):
        yield x


shapes = sorted([Rect("door", 2, 1), Circle("coin", 0.5), Rect("sheet", 3, 4)], key=lambda s: s.area())
print(shapes)
print(list(take(15, fib())))
print(sum(x * x for x in range(100) if x % 3 == 0))

doc = {"shapes": [{"name": s.name, "area": round(s.area(), 3)} for s in shapes], "ok": True, "none": None}
text = json.dumps(doc, sort_keys=True, indent=1)
print(text)
print(json.loads(text)["shapes"][1]["name"])

log = "2024-01-02 ERROR disk full\n2024-01-03 INFO ok\n2024-01-04 ERROR net down\n"
for m in re.finditer(r"^(\d{4})-(\d\d)-(\d\d) ERROR (.*)$", log, re.M):
    print(m.group(3), m.group(4).upper())
print(re.sub(r"(\w+) (\w+)", r"\2 \1", "hello world foo bar"))

print(hashlib.sha256(b"salty").hexdigest())
print(hashlib.md5(text.encode()).hexdigest())

r = subprocess.run(["wc", "-w"], input=b"one two three four\n", capture_output=True)
print("subprocess:", r.returncode, r.stdout.decode().strip())
try:
    {}["missing"]
except KeyError as e:
    print("caught", repr(e))
sys.exit(3)
