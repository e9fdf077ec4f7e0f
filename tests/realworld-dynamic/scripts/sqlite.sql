CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE emp(id INTEGER PRIMARY KEY, name TEXT, dept INTEGER REFERENCES dept(id), salary REAL, hired TEXT);
INSERT INTO dept VALUES (1, 'eng'), (2, 'ops'), (3, 'sales'), (4, 'empty');
INSERT INTO emp(name, dept, salary, hired) VALUES
  ('ann', 1, 120.5, '2019-03-01'), ('bob', 1, 99, '2021-07-15'), ('cy', 2, 80, '2018-01-20'),
  ('di', 3, 70.25, '2022-11-30'), ('ed', 3, 72, '2020-05-05'), ('flo', 1, 130, '2023-02-14');
.headers on
.mode column
SELECT d.name, count(e.id) AS n, round(avg(e.salary), 2) AS avg_salary, max(e.salary) AS top
  FROM dept d LEFT JOIN emp e ON e.dept = d.id GROUP BY d.id ORDER BY n DESC, d.name;
SELECT e.name, d.name AS dept, e.salary,
       rank() OVER (PARTITION BY e.dept ORDER BY e.salary DESC) AS r
  FROM emp e JOIN dept d ON d.id = e.dept ORDER BY dept, r;
.mode list
SELECT group_concat(name, '+') FROM (SELECT name FROM emp WHERE salary > (SELECT avg(salary) FROM emp) ORDER BY name);
SELECT strftime('%Y', hired) AS y, count(*) FROM emp GROUP BY y HAVING count(*) >= 1 ORDER BY y;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT sum(i * i) FROM n;
SELECT printf('%08.3f|%s', 3.14159, upper('done'));
