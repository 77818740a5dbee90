namespace Gatehouse.Cli.Tests.Gateway;

/// <summary>A test that runs a gateway's own checker: runs where the binary is installed; with CI=true a missing binary fails instead of skipping.</summary>
public sealed class ProxyFactAttribute : FactAttribute
{
    public ProxyFactAttribute(string binary)
    {
        if (Find(binary) is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"{binary} is not installed (CI=true runs this test)";
        }
    }

    public static string? Find(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Append("/usr/sbin").Append("/usr/bin")
            .Where(d => d.Length > 0).Select(d => Path.Combine(d, binary)).FirstOrDefault(File.Exists);
}
