using System.Globalization;
using System.Text;

namespace Gatehouse.Server.Checks;

/// <summary>The size accounting of the in-memory caches, in the Prometheus text format.</summary>
internal static class CacheMetrics
{
    public static string Render(IEnumerable<(string Name, long Bytes, long MaxBytes)> tables)
    {
        var text = new StringBuilder();
        text.Append("# HELP gatehouse_cache_bytes Estimated bytes held by an in-memory cache (emptied when it reaches gatehouse_cache_max_bytes).\n# TYPE gatehouse_cache_bytes gauge\n");
        var list = tables.ToList();
        foreach (var (name, bytes, _) in list)
        {
            text.Append(CultureInfo.InvariantCulture, $"gatehouse_cache_bytes{{cache=\"{name}\"}} {bytes}\n");
        }

        text.Append("# HELP gatehouse_cache_max_bytes Byte budget of an in-memory cache.\n# TYPE gatehouse_cache_max_bytes gauge\n");
        foreach (var (name, _, max) in list)
        {
            text.Append(CultureInfo.InvariantCulture, $"gatehouse_cache_max_bytes{{cache=\"{name}\"}} {max}\n");
        }

        return text.ToString();
    }
}
