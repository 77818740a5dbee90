using System.Collections;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.Tests.Hosting;

public sealed class ConfigurationTests
{
    [Fact]
    public void Load_WithSeveralBadValues_ReportsEveryProblemAtOnce()
    {
        var env = new Hashtable { ["GATEHOUSE_LOG_FORMAT"] = "xml", ["GATEHOUSE_TOKEN_DAYS"] = "forever", ["GATEHOUSE_BOOTSTRAP_TOKEN"] = "short" };

        var e = Assert.Throws<ConfigurationProblemException>(() => GatehouseOptionsLoader.Load(env));

        Assert.Contains("GATEHOUSE_LOG_FORMAT must be `text` or `json`", e.Message);
        Assert.Contains("GATEHOUSE_TOKEN_DAYS", e.Message);
        Assert.Contains("at least 24 characters", e.Message);
        Assert.DoesNotContain("short", e.Message.Replace("GATEHOUSE", string.Empty));
    }

    [Fact]
    public void Load_SecretFromFile_IsReadAndTrimmed()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "a-long-bootstrap-secret-from-a-mounted-file\n");
        try
        {
            var options = GatehouseOptionsLoader.Load(new Hashtable { ["GATEHOUSE_BOOTSTRAP_TOKEN_FILE"] = file, ["GATEHOUSE_DATA"] = "/var/lib/gatehouse" });

            Assert.Equal("a-long-bootstrap-secret-from-a-mounted-file", options.BootstrapToken);
            Assert.Equal("/var/lib/gatehouse", options.DataDirectory);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Load_SecretFromVariableAndFile_IsRefused()
    {
        var env = new Hashtable { ["GATEHOUSE_DATABASE"] = "Host=x", ["GATEHOUSE_DATABASE_FILE"] = "/run/secrets/db" };

        var e = Assert.Throws<ConfigurationProblemException>(() => GatehouseOptionsLoader.Load(env));

        Assert.Contains("either GATEHOUSE_DATABASE or GATEHOUSE_DATABASE_FILE", e.Message);
    }

    [Fact]
    public void Load_UnreadableSecretFile_NamesTheFile()
    {
        var e = Assert.Throws<ConfigurationProblemException>(() =>
            GatehouseOptionsLoader.Load(new Hashtable { ["GATEHOUSE_BOOTSTRAP_TOKEN_FILE"] = "/nonexistent/secret" }));

        Assert.Contains("/nonexistent/secret", e.Message);
    }

    [Fact]
    public void Load_Empty_GivesDefaults()
    {
        var options = GatehouseOptionsLoader.Load(new Hashtable());

        Assert.Null(options.DatabaseConnectionString);
        Assert.Null(options.BootstrapToken);
        Assert.Equal("text", options.LogFormat);
        Assert.Equal(90, options.DefaultTokenDays);
        Assert.EndsWith("gatehouse", options.DataDirectory);
    }
}
