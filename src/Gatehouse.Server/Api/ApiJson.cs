using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gatehouse.Server.Api;

/// <summary>The one JSON shape of the API: camelCase properties, enums in the manifest's kebab-case (`two-owners`), no nulls.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return options;
    }
}
