// Benchmarks only: milliseconds the server's JVM has spent compiling (JIT) since it started. A server
// just started compiles its hot code for minutes; the write benchmark measures once this has settled.
// Needs the admin's right to read JMX (`dbms.queryJmx`). Returns: ms.
CALL dbms.queryJmx('java.lang:type=Compilation') YIELD attributes
RETURN attributes.TotalCompilationTime.value AS ms
