// The baseline of bench/run-cli-start.sh: start the runtime, print one line, exit.
System.Console.WriteLine("Hello, World!");
