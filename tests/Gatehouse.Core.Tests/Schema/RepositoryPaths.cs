namespace Gatehouse.Core.Tests.Schema;

/// <summary>Locates files of the repository (schemas, examples, cases) from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Gatehouse.slnx above {AppContext.BaseDirectory}; run the tests from a clone of the repository.");
    }
}
