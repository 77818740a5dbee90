namespace Gatehouse.OAuth.Tests.Interop;

/// <summary>
/// Runs when tests/interop has its npm packages. Skipped locally without them; never skipped in
/// CI (CI=true), where a missing install fails the test instead of hiding it.
/// </summary>
public sealed class InteropFactAttribute : FactAttribute
{
    public InteropFactAttribute()
    {
        if (!Directory.Exists(Path.Combine(InteropPaths.Folder, "node_modules", "openid-client")) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "npm packages missing: run `npm ci` in tests/interop";
        }
    }
}

internal static class InteropPaths
{
    /// <summary>tests/interop, found from the test binaries up to the folder holding Gatehouse.slnx.</summary>
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
                {
                    return Path.Combine(dir.FullName, "tests", "interop");
                }
            }

            throw new InvalidOperationException("Gatehouse.slnx not found above " + AppContext.BaseDirectory);
        }
    }
}
