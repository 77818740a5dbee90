using System.Diagnostics;

namespace Gatehouse.Bench.Measuring;

/// <summary>
/// A validator that exits 0 without reading anything would win every benchmark, so before timing
/// one, make sure it rejects a manifest with an unknown key.
/// </summary>
internal static class SanityCheck
{
    public static bool RejectsInvalidManifest(string gatehouse, string root)
    {
        var folder = Path.Combine(root, "bench", "out", "sanity");
        Directory.CreateDirectory(Path.Combine(folder, "services", "broken"));
        File.WriteAllText(Path.Combine(folder, "gatehouse.org.yaml"),
            "apiVersion: gatehouse/v1\norganisation: sanity\nadmins: [alice]\nenvironments:\n  - name: production\n");
        File.WriteAllText(Path.Combine(folder, "services", "broken", "gatehouse.yaml"),
            "apiVersion: gatehouse/v1\napp: broken\nowners: [user:alice]\nownerz: [user:bob]\n");

        var start = new ProcessStartInfo(gatehouse) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("validate");
        start.ArgumentList.Add(folder);
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode == 0)
        {
            Console.WriteLine($"FAIL: {gatehouse} validate accepted {Path.GetRelativePath(root, folder)}, which has an unknown key: it is not validating, so its times mean nothing");
        }

        return process.ExitCode != 0;
    }
}
