namespace Gatehouse.Cli.Templates;

/// <summary>
/// A three-way merge of one text file with <c>git merge-file</c>: a real diff3 merge whose
/// conflicts carry the markers every editor and merge tool knows (ADR 0025).
/// </summary>
internal static class FileMerge
{
    /// <summary>The merged bytes and whether conflict markers remain in them.</summary>
    public static (byte[] Content, bool Conflicted) Merge(byte[] ours, byte[] @base, byte[] theirs, string baseLabel, string theirsLabel)
    {
        var folder = Directory.CreateTempSubdirectory("gatehouse-merge-").FullName;
        try
        {
            var oursFile = Path.Combine(folder, "ours");
            var baseFile = Path.Combine(folder, "base");
            var theirsFile = Path.Combine(folder, "theirs");
            File.WriteAllBytes(oursFile, ours);
            File.WriteAllBytes(baseFile, @base);
            File.WriteAllBytes(theirsFile, theirs);
            var result = GitCli.Run(folder, ["merge-file", "-p", "-L", "project", "-L", baseLabel, "-L", theirsLabel, oursFile, baseFile, theirsFile]);

            // The exit code is the number of conflicts (at most 127), or negative on an error.
            if (result.ExitCode is < 0 or > 127)
            {
                throw new InvalidOperationException($"git merge-file failed: {result.Error}");
            }

            return (result.Output, result.ExitCode > 0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
