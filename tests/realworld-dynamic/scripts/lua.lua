-- Tables, closures, metatables, coroutines and string patterns, for the
-- real-world dynamic tests (run by Debian's arm64 lua5.4).
local function counter()
  local n = 0
  return function(step) n = n + (step or 1); return n end
end
local c = counter()
c(); c(5)
print("counter", c())

local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
Vec.__add = function(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
Vec.__tostring = function(v) return string.format("(%g, %g)", v.x, v.y) end
function Vec:len() return math.sqrt(self.x ^ 2 + self.y ^ 2) end
local v = Vec.new(3, 4) + Vec.new(0.5, -1)
print("vec", tostring(v), string.format("%.4f", v:len()))

local gen = coroutine.wrap(function()
  for i = 1, 5 do coroutine.yield(i * i) end
end)
local squares = {}
for _ = 1, 5 do squares[#squares + 1] = gen() end
print("squares", table.concat(squares, ","))

local words = {}
for w in ("the quick brown fox jumps over the lazy dog the end"):gmatch("%a+") do
  words[w] = (words[w] or 0) + 1
end
local keys = {}
for k in pairs(words) do keys[#keys + 1] = k end
table.sort(keys, function(a, b) if words[a] ~= words[b] then return words[a] > words[b] end return a < b end)
for i = 1, 4 do io.write(keys[i], "=", words[keys[i]], " ") end
print()
print((("2024-01-02"):gsub("(%d+)-(%d+)-(%d+)", "%3/%2/%1")))
print(string.format("%5.2f|%-6s|%x|%q", math.pi, "ab", 255, "a\nb"))
print("integer division", 7 // 2, 7 % -3, 2^10, math.maxinteger)
local ok, err = pcall(function() error({code = 42}) end)
print("pcall", ok, err.code)
os.exit(2)
