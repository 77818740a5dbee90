using System.CommandLine;

namespace Gatehouse.Cli.Commands;

/// <summary>The <c>[PATH...]</c> argument shared by the commands that read manifests.</summary>
internal static class PathArgument
{
    public static Argument<string[]> Create() => new("PATH")
    {
        Description = "Files or folders to read; folders are searched for gatehouse.yaml and gatehouse.org.yaml [default: .]",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>The paths to read, or a usage message when one is an unknown option or does not exist.</summary>
    public static string? Problem(CliContext context, IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, context.WorkingDirectory);
            if (File.Exists(full) || Directory.Exists(full))
            {
                continue;
            }

            // System.CommandLine hands an unknown '--option' to a variadic argument; it is a usage error.
            return path.StartsWith('-') ? $"unrecognized option '{path}'" : $"path '{path}' does not exist";
        }

        return null;
    }
}
