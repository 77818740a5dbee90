namespace Gatehouse.Cli;

/// <summary>What a command may touch of the outside world, injected so tests run commands in-process.</summary>
/// <param name="IsInteractive">True when stdin is a terminal, so a command may ask for missing values.</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, TextReader In, bool IsInteractive, string WorkingDirectory)
{
    public static CliContext FromConsole(TextWriter output, TextWriter error) =>
        new(output, error, Console.In, !Console.IsInputRedirected, Environment.CurrentDirectory);

    /// <summary>Prints a one-line error (never a stack trace) and returns the exit code to end with.</summary>
    public int Fail(int exitCode, string message)
    {
        Error.WriteLine($"gatehouse: error: {message}");
        return exitCode;
    }
}
