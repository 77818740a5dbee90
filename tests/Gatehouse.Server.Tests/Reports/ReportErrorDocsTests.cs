using System.Reflection;
using System.Text.RegularExpressions;
using Gatehouse.Server.Reports;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Reports;

/// <summary>Every report code (GH4200–GH4249) has its entry in docs/errors.md, and no stale one is documented.</summary>
public sealed class ReportErrorDocsTests
{
    [Fact]
    public void Every_report_code_is_documented_under_its_anchor_and_nothing_stale_is()
    {
        var codes = typeof(ReportErrors).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var errors = File.ReadAllText(RepositoryPaths.Combine("docs", "errors.md"));

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Contains($"<a id=\"{code.ToLowerInvariant()}\"></a>\n### {code}: ", errors, StringComparison.Ordinal));
        var documented = Regex.Matches(errors, "### (GH42[0-4][0-9]):").Select(m => m.Groups[1].Value);
        Assert.Equal(codes.Order(), documented.Order());
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("=A1,B1", "\"'=A1,B1\"")]
    [InlineData("", "")]
    public void A_csv_cell_is_quoted_as_rfc_4180_asks_and_never_runs_as_a_formula(string value, string cell)
    {
        Assert.Equal(cell, ReportWriter.CsvCell(value));
    }
}
