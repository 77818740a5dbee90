using Gatehouse.Portal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gatehouse.Portal.Tests.Browser;

/// <summary>Screenshots go to TestResults/screenshots at the repository root (or $GATEHOUSE_SCREENSHOTS), kept by CI as artifacts.</summary>
internal static class Screenshots
{
    public static readonly string Directory = Locate();

    public static Task SaveAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Directory, name + ".png"), FullPage = true });

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("GATEHOUSE_SCREENSHOTS") is { Length: > 0 } configured)
        {
            return System.IO.Directory.CreateDirectory(configured).FullName;
        }

        return System.IO.Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots")).FullName;
    }
}
