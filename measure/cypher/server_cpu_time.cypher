// Benchmarks only: milliseconds of CPU the server's process has used since it started. After a bulk
// load the server goes on merging its index segments for a minute or two; the search benchmark measures
// once it is idle. Needs the admin's right to read JMX (`dbms.queryJmx`). Returns: ms.
CALL dbms.queryJmx('java.lang:type=OperatingSystem') YIELD attributes
RETURN attributes.ProcessCpuTime.value / 1000000.0 AS ms
