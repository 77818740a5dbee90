using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Gatehouse.Cli.Templates;

/// <summary>One run of the git command line: its exit code, output bytes and error text.</summary>
internal sealed record GitResult(int ExitCode, byte[] Output, string Error)
{
    public string Text => Encoding.UTF8.GetString(Output);
}

/// <summary>
/// Runs the <c>git</c> executable (ADR 0025: the user's git, with their credentials and proxy
/// settings, rather than a native library that a single-file build would have to carry).
/// </summary>
internal static class GitCli
{
    /// <summary>Runs git; throws <see cref="GitMissingException"/> when there is no git to run.</summary>
    public static GitResult Run(string? workingDirectory, IEnumerable<string> arguments, byte[]? input = null)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Never stop to ask for a password: a CI run would hang; fail with git's message instead.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["LC_ALL"] = "C";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new GitMissingException();
        }
        catch (Win32Exception)
        {
            throw new GitMissingException();
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var writer = input is null ? Task.CompletedTask : Task.Run(() =>
            {
                process.StandardInput.BaseStream.Write(input);
                process.StandardInput.Close();
            });
            using var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            writer.GetAwaiter().GetResult();
            process.WaitForExit();
            return new GitResult(process.ExitCode, output.ToArray(), error.GetAwaiter().GetResult().Trim());
        }
    }
}

/// <summary>No git executable on PATH.</summary>
internal sealed class GitMissingException() : Exception("git is not installed or not on PATH");
