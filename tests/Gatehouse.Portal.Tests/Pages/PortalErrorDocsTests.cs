using System.Reflection;
using System.Text.RegularExpressions;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Server.Portal;

namespace Gatehouse.Portal.Tests.Pages;

public class PortalErrorDocsTests
{
    [Fact]
    public void Every_portal_code_is_documented_under_its_anchor_and_nothing_stale_is()
    {
        var codes = typeof(PortalErrors).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var errors = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "errors.md"));

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Contains($"<a id=\"{code.ToLowerInvariant()}\"></a>\n### {code}: ", errors));
        Assert.Equal(codes.Order(), Regex.Matches(errors, "### (GH49[0-9]{2}):").Select(m => m.Groups[1].Value).Order());
    }
}
