namespace Gatehouse.Portal.Tests.Infrastructure;

/// <summary>The repository this test runs from: docs, examples, and where screenshots go.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Gatehouse.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Gatehouse.slnx) not found above " + AppContext.BaseDirectory);
    }
}
