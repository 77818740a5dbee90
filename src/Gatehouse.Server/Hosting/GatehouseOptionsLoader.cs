using System.Collections;

namespace Gatehouse.Server.Hosting;

/// <summary>Thrown for a configuration a person must fix before the server can start.</summary>
public class ConfigurationProblemException(string message) : Exception(message);

/// <summary>
/// Reads <see cref="GatehouseOptions"/> from the environment. A secret may come from
/// <c>NAME</c> or from the file named by <c>NAME_FILE</c> (as Docker and Kubernetes mount
/// them), never both; every problem is reported at once.
/// </summary>
public static class GatehouseOptionsLoader
{
    public static GatehouseOptions Load(IDictionary environment)
    {
        var problems = new List<string>();
        var options = new GatehouseOptions();

        if (Get(environment, "GATEHOUSE_DATA") is { } data)
        {
            options.DataDirectory = data;
        }

        options.DatabaseConnectionString = Secret(environment, "GATEHOUSE_DATABASE", problems);
        options.BootstrapToken = Secret(environment, "GATEHOUSE_BOOTSTRAP_TOKEN", problems);
        if (options.BootstrapToken is { Length: < 24 })
        {
            problems.Add("GATEHOUSE_BOOTSTRAP_TOKEN must be at least 24 characters long (use `openssl rand -base64 32`).");
        }

        if (Get(environment, "GATEHOUSE_LOG_FORMAT") is { } format)
        {
            if (format is not ("text" or "json"))
            {
                problems.Add($"GATEHOUSE_LOG_FORMAT must be `text` or `json`, not `{format}`.");
            }

            options.LogFormat = format;
        }

        if (Get(environment, "GATEHOUSE_TOKEN_DAYS") is { } days)
        {
            if (!int.TryParse(days, out var value) || value is < 1 or > 3650)
            {
                problems.Add($"GATEHOUSE_TOKEN_DAYS must be a whole number of days from 1 to 3650, not `{days}`.");
            }
            else
            {
                options.DefaultTokenDays = value;
            }
        }

        if (Get(environment, "GATEHOUSE_CONSISTENCY") is { } consistency)
        {
            if (consistency is not ("latest" or "full"))
            {
                problems.Add($"GATEHOUSE_CONSISTENCY must be `latest` or `full`, not `{consistency}`.");
            }

            options.Consistency = consistency;
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException("invalid configuration:\n  - " + string.Join("\n  - ", problems));
        }

        return options;
    }

    private static string? Get(IDictionary environment, string name) =>
        environment[name] is string { Length: > 0 } value ? value : null;

    private static string? Secret(IDictionary environment, string name, List<string> problems)
    {
        var direct = Get(environment, name);
        var file = Get(environment, name + "_FILE");
        if (direct is not null && file is not null)
        {
            problems.Add($"set either {name} or {name}_FILE, not both.");
            return null;
        }

        if (file is null)
        {
            return direct;
        }

        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{name}_FILE names `{file}`, which cannot be read: {e.Message}");
            return null;
        }
    }

    public static GatehouseOptions FromProcessEnvironment() => Load(Environment.GetEnvironmentVariables());

    internal static IDictionary Empty() => new Hashtable();
}
