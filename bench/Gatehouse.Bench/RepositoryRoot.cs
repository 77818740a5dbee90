namespace Gatehouse.Bench;

/// <summary>The folder holding Gatehouse.slnx, found from the working directory or the executable.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new ArgumentException("run validate-vs-parse inside a clone of the repository (no Gatehouse.slnx found above it)");
    }
}
