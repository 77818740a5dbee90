using Microsoft.Playwright;

namespace Gatehouse.Portal.Tests.Browser;

/// <summary>Screenshots go to TestResults/screenshots at the repository root (or $GATEHOUSE_SCREENSHOTS), kept by CI as artifacts.</summary>
internal static class Screenshots
{
    public static readonly string RepositoryRoot = FindRoot();

    public static readonly string Directory = Locate();

    public static Task SaveAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Directory, name + ".png"), FullPage = true });

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("GATEHOUSE_SCREENSHOTS") is { Length: > 0 } configured)
        {
            return System.IO.Directory.CreateDirectory(configured).FullName;
        }

        return System.IO.Directory.CreateDirectory(Path.Combine(RepositoryRoot, "TestResults", "screenshots")).FullName;
    }

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
