// Starts Blazor through Phoenyra's connection handling (a file, not an inline script: the content security policy allows only the desk's own scripts).
phoenyra.connection.start();
