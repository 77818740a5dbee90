namespace Gatehouse.OAuth.Tests.Gateway;

/// <summary>
/// A test against a real proxy binary. It runs wherever the binary is installed; with CI=true a
/// missing binary fails the test instead of skipping it (CI installs nginx and caddy).
/// </summary>
public sealed class ProxyFactAttribute : FactAttribute
{
    public ProxyFactAttribute(string binary)
    {
        if (Proxies.Find(binary) is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"{binary} is not installed (CI=true runs this test)";
        }
    }
}
