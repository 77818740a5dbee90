using Gatehouse.Core.Templates;

namespace Gatehouse.Cli.Templates;

/// <summary>A unified diff of one file, made by <c>git diff --no-index</c> so it reads like every other diff.</summary>
internal static class UnifiedDiff
{
    public static void Write(TextWriter output, string oldPath, string newPath, byte[] before, byte[]? after)
    {
        if (TemplateRenderer.IsBinary(before) || (after is not null && TemplateRenderer.IsBinary(after)))
        {
            output.WriteLine($"    Binary file {newPath} differs");
            return;
        }

        var folder = Directory.CreateTempSubdirectory("gatehouse-diff-").FullName;
        try
        {
            var a = Path.Combine(folder, "a");
            var b = Path.Combine(folder, "b");
            File.WriteAllBytes(a, before);
            File.WriteAllBytes(b, after ?? []);
            var result = GitCli.Run(folder, ["diff", "--no-index", "--no-color", "--", "a", "b"]);
            foreach (var line in result.Text.Split('\n'))
            {
                var shown = line switch
                {
                    _ when line.StartsWith("diff --git", StringComparison.Ordinal) => $"diff --git a/{oldPath} b/{newPath}",
                    "--- a/a" => $"--- a/{oldPath}",
                    "+++ b/b" => $"+++ b/{newPath}",
                    _ when line.StartsWith("index ", StringComparison.Ordinal) => null,
                    _ => line,
                };
                if (shown is { Length: > 0 })
                {
                    output.WriteLine(shown);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
