namespace Gatehouse.Portal.Tests.Browser;

/// <summary>
/// A test that drives Debian's Chromium. It is skipped only on a machine without
/// <c>/usr/bin/chromium</c> and outside CI; with <c>CI=true</c> it always runs (and fails loudly
/// if the browser is missing). Playwright never downloads a browser here.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"needs Chromium at {Chromium} (apt-get install chromium); always runs when CI=true";
        }
    }
}
