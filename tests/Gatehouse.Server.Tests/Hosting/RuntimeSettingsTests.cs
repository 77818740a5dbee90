using System.Text.Json;

namespace Gatehouse.Server.Tests.Hosting;

/// <summary>
/// The runtime settings `gatehouse` ships in its runtimeconfig, the file `dotnet publish` and the
/// tool package carry beside gatehouse.dll (the same one these tests start servers with).
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_server_gives_back_memory_its_oldest_generation_no_longer_uses()
    {
        // ADR 0048: without it a million-grant server held ~60 MiB more after a burst of decisions.
        Assert.Equal(7, ConfigProperty("System.GC.ConserveMemory").GetInt32());
    }

    [Fact]
    public void Jitted_code_is_measured_before_it_is_optimised_and_hot_code_is_counted_at_once()
    {
        // ADR 0049: quick JIT on, so PGO sees the server's hot paths (ADR 0010 had it off).
        Assert.True(ConfigProperty("System.Runtime.TieredCompilation.QuickJit").GetBoolean());
        // ADR 0010 and 0039: precompiled code is counted for rejit at once, after 1,000 calls.
        Assert.Equal(0, ConfigProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
        Assert.Equal(1000, ConfigProperty("System.Runtime.TieredCompilation.CallCountThreshold").GetInt32());
    }

    private static JsonElement ConfigProperty(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "gatehouse.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        return properties.TryGetProperty(name, out var value)
            ? value.Clone()
            : throw new Xunit.Sdk.XunitException($"{path} has no {name}");
    }
}
