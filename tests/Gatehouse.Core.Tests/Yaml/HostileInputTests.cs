using System.Text;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Yaml;

/// <summary>Each hostile input gives exactly one clear error: never a crash, never a hang.</summary>
public sealed class HostileInputTests
{
    [Fact]
    public void A_file_over_one_mebibyte_is_refused_without_parsing()
    {
        var content = new byte[ManifestReader.MaxFileBytes + 1];
        content.AsSpan().Fill((byte)'#');

        var result = ManifestReader.ReadManifest("big.yaml", content);

        var finding = AssertOnly(result.Diagnostics, DiagnosticCodes.FileTooLarge, "1 MiB", 0, 0);
        Assert.Contains("1,048,577 bytes", finding.Message);
        Assert.Null(result.Value);
    }

    [Fact]
    public void A_file_of_exactly_one_mebibyte_is_read()
    {
        var text = new StringBuilder(ValidManifest).Append('\n');
        text.Append('#', ManifestReader.MaxFileBytes - Encoding.UTF8.GetByteCount(text.ToString()));

        var result = ManifestReader.ReadManifest("limit.yaml", Bytes(text.ToString()));

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void Invalid_utf8_is_reported_at_the_line_and_column_of_the_first_bad_byte()
    {
        var bytes = Bytes("apiVersion: gatehouse/v1\napp: bil").Concat(new byte[] { 0xC3, 0x28 }).Concat(Bytes("ling\n")).ToArray();

        var result = ManifestReader.ReadManifest("gatehouse.yaml", bytes);

        AssertOnly(result.Diagnostics, DiagnosticCodes.InvalidUtf8, "not valid UTF-8 (byte 0xC3", 2, 9);
    }

    [Fact]
    public void Invalid_utf8_columns_count_characters_not_bytes()
    {
        var bytes = Bytes("description: héllo ").Concat(new byte[] { 0xFF }).ToArray();

        var result = ManifestReader.ReadManifest("gatehouse.yaml", bytes);

        AssertOnly(result.Diagnostics, DiagnosticCodes.InvalidUtf8, "0xFF", 1, 20);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n# and another\n")]
    [InlineData("---\n")]
    [InlineData("\n\n   \n")]
    public void An_empty_file_is_one_error(string yaml)
    {
        var result = Manifest(yaml);

        AssertOnly(result.Diagnostics, DiagnosticCodes.EmptyFile, "needs at least apiVersion and app", 1, 1);
    }

    [Fact]
    public void A_tab_in_indentation_is_reported_at_the_tab()
    {
        var result = Manifest("apiVersion: gatehouse/v1\nscopes:\n  - name: a\n  \tdescription: b\n");

        AssertOnly(result.Diagnostics, DiagnosticCodes.TabIndentation, "tab is used for indentation", 4, 3);
    }

    [Theory]
    [InlineData("apiVersion: gatehouse/v1\napp: billing\nowners: [team:payments]\nscopes:\n\t- name: a\n", 5, 1)]
    [InlineData("apiVersion: gatehouse/v1\napp: billing\nowners:\n\t- team:payments\n", 4, 1)]
    [InlineData("apiVersion: gatehouse/v1\napp: billing\nowners:\n  - team:payments\nscopes:\n  - name: a\n    description: b\n  - name: c\n \t description: d\n", 9, 2)]
    public void A_tab_the_yaml_parser_rejects_is_reported_at_the_tab_not_at_the_start_of_the_file(string yaml, int line, int column)
    {
        var result = Manifest(yaml);

        AssertOnly(result.Diagnostics, DiagnosticCodes.TabIndentation, "tab is used for indentation", line, column);
    }

    [Fact]
    public void A_tab_before_the_first_key_is_reported_even_though_the_yaml_parser_accepts_it()
    {
        var result = Manifest("\tapiVersion: gatehouse/v1\n");

        AssertOnly(result.Diagnostics, DiagnosticCodes.TabIndentation, "only spaces", 1, 1);
    }

    [Fact]
    public void Tabs_inside_a_block_scalar_and_after_a_colon_are_content_not_indentation()
    {
        var yaml = ValidManifest.Replace("description: Invoices and payments", "description: |\n  first\n  \tindented with a tab") + "\n# \tcomment\n";
        var result = Manifest(yaml.Replace("app: billing", "app:\tbilling"));

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
    }

    [Theory]
    [InlineData("apiVersion: &v gatehouse/v1\napp: billing\n", 1, 13)]
    [InlineData("a: x\nb: *v\n", 2, 4)]
    public void Anchors_and_aliases_are_refused(string yaml, int line, int column)
    {
        var result = Manifest(yaml);

        AssertOnly(result.Diagnostics, DiagnosticCodes.AnchorOrAlias, "anchors and aliases are not supported in manifests", line, column);
    }

    [Fact]
    public void An_alias_bomb_is_refused_at_its_first_anchor()
    {
        var yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 1; i < 10; i++)
        {
            var prev = (char)('a' + i - 1);
            var name = (char)('a' + i);
            yaml.Append($"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n");
        }

        var result = Manifest(yaml.ToString());

        AssertOnly(result.Diagnostics, DiagnosticCodes.AnchorOrAlias, "not supported", 1, 4);
    }

    [Fact]
    public void Nesting_deeper_than_32_levels_is_refused()
    {
        var result = Manifest("app: " + new string('[', 40) + new string(']', 40) + "\n");

        AssertOnly(result.Diagnostics, DiagnosticCodes.NestingTooDeep, "more than 32 levels", 1, 37);
    }

    [Fact]
    public void Nesting_of_exactly_32_levels_is_read()
    {
        var result = Manifest("app: " + new string('[', 31) + new string(']', 31) + "\n");

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.NestingTooDeep);
    }

    [Fact]
    public void A_million_brackets_end_in_one_error()
    {
        var result = Manifest(new string('[', 500_000) + new string(']', 500_000));

        AssertOnly(result.Diagnostics, DiagnosticCodes.NestingTooDeep, "32", 1, 33);
    }

    [Fact]
    public void Several_documents_are_refused_at_the_second()
    {
        var result = Manifest(ValidManifest + "\n---\napp: other\n");

        AssertOnly(result.Diagnostics, DiagnosticCodes.MultipleDocuments, "one YAML document", 24, 1);
    }

    [Fact]
    public void A_yaml_syntax_error_is_one_finding_at_the_parser_mark()
    {
        var result = Manifest("apiVersion: gatehouse/v1\nowners: [team:a, user:b\n  app: x\n");

        var finding = AssertOnly(result.Diagnostics, DiagnosticCodes.YamlSyntax, "invalid YAML: while parsing a flow sequence, did not find expected ',' or ']'", 3, 6);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void A_common_yaml_mistake_comes_with_a_hint()
    {
        var result = Manifest("apiVersion: gatehouse/v1\ndescription: Step 1: read\n");

        AssertOnly(result.Diagnostics, DiagnosticCodes.YamlSyntax, "found invalid mapping; quote a value that contains ': '", 2, 20);
    }

    [Fact]
    public void A_plain_exception_from_the_yaml_parser_becomes_a_finding_regression_for_yamldotnet_541()
    {
        var result = Manifest("apiVersion: gatehouse/v1\nowners: [team:a, user:b\napp: x\n");

        AssertOnly(result.Diagnostics, DiagnosticCodes.YamlSyntax, "look for an unclosed bracket or quote above it", 3, 1);
    }

    [Fact]
    public void Tags_are_refused()
    {
        var result = Manifest("apiVersion: !!str gatehouse/v1\n");

        AssertOnly(result.Diagnostics, DiagnosticCodes.TagNotSupported, "tags", 1, 13);
    }

    [Fact]
    public void A_list_used_as_a_key_is_refused()
    {
        var result = Manifest("? [a, b]\n: value\n");

        AssertOnly(result.Diagnostics, DiagnosticCodes.ComplexKey, "plain name", 1, 3);
    }

    [Fact]
    public void A_byte_order_mark_and_crlf_line_endings_are_accepted_and_positions_stay_exact()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Bytes(ValidManifest.Replace("\n", "\r\n").Replace("app: billing", "app: Billing"))).ToArray();

        var result = ManifestReader.ReadManifest("gatehouse.yaml", bytes);

        AssertOnly(result.Diagnostics, DiagnosticCodes.InvalidAppName, "'Billing'", 2, 6);
    }

    [Fact]
    public void Many_distinct_keys_are_read_in_linear_time_and_duplicates_still_found()
    {
        var yaml = new StringBuilder("apiVersion: gatehouse/v1\n");
        for (var i = 0; i < 40_000; i++)
        {
            yaml.Append('k').Append(i).Append(": v\n");
        }

        yaml.Append("k7: again\n");
        var result = Manifest(yaml.ToString());

        AssertFinding(result.Diagnostics, DiagnosticCodes.DuplicateKey, "first defined on line 9", 40_002, 1);
    }
}
