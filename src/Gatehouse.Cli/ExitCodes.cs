namespace Gatehouse.Cli;

/// <summary>Exit codes every command uses; documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>Done, no errors (warnings allowed).</summary>
    public const int Ok = 0;

    /// <summary>The command ran and found errors, or could not do what was asked.</summary>
    public const int Failed = 1;

    /// <summary>Wrong usage: unknown option, bad value, missing argument, path that does not exist.</summary>
    public const int Usage = 2;

    /// <summary>An unexpected failure (a bug or the environment); the message says what happened.</summary>
    public const int Crashed = 3;
}
