using System.Globalization;
using System.Text;
using Fluid;
using Fluid.Values;
using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Core.Templates;

/// <summary>A file the template produced: where it goes, what it holds, and the template file it came from.</summary>
public sealed record RenderedFile(string Path, byte[] Content, string TemplatePath);

/// <summary>
/// Renders a template version with answers: file contents and file and folder names go through
/// Liquid (Fluid), binary files and <c>files.verbatim</c> are copied byte for byte.
/// </summary>
public static class TemplateRenderer
{
    private static readonly FluidParser Parser = new();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // A misspelt variable is an error, not an empty string in someone's Program.cs.
    private static readonly TemplateOptions Options = new TemplateOptionsBuilder().WithStrictVariables(true).WithCultureInfo(CultureInfo.InvariantCulture).Build();

    /// <summary>Why a files.when condition does not parse, or null when it does.</summary>
    public static string? ConditionProblem(string condition) =>
        Parser.TryParse(ConditionTemplate(condition), out _, out var error) ? null : error;

    /// <summary>
    /// Renders every file. <paramref name="files"/> maps template paths ('/'-separated) to bytes,
    /// template.yaml excluded. A file whose rendered name has an empty segment is not produced.
    /// </summary>
    public static IReadOnlyDictionary<string, RenderedFile> Render(
        TemplateDefinition definition,
        IReadOnlyDictionary<string, byte[]> files,
        IReadOnlyDictionary<string, string> answers,
        List<Diagnostic> problems)
    {
        var context = Context(definition, answers);
        var conditions = definition.When.Select(w => (w, Holds(w.Condition, context, problems))).ToList();
        var produced = new Dictionary<string, RenderedFile>(StringComparer.Ordinal);
        foreach (var (templatePath, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (definition.Skip.Any(g => g.IsMatch(templatePath))
                || conditions.Any(c => !c.Item2 && c.w.Paths.Any(g => g.IsMatch(templatePath))))
            {
                continue;
            }

            if (RenderText(templatePath, templatePath, context, problems) is not { } path)
            {
                continue;
            }

            var segments = path.Split('/');
            if (segments.Any(s => s.Length == 0))
            {
                continue; // a name that renders empty leaves the file out, e.g. {% if ci %}.github{% endif %}/ci.yml
            }

            if (segments.Any(s => s is "." or ".." || s.Contains('\\', StringComparison.Ordinal)) || path.StartsWith(".gatehouse/", StringComparison.Ordinal) || path == ".git" || path.StartsWith(".git/", StringComparison.Ordinal))
            {
                problems.Add(Diagnostic.Error(TemplateCodes.InvalidRenderedPath, SourceLocation.WholeFile(templatePath),
                    $"renders to '{path}', which is outside the project or in a folder Gatehouse or git owns"));
                continue;
            }

            var bytes = definition.Verbatim.Any(g => g.IsMatch(templatePath)) || IsBinary(content)
                ? content
                : RenderText(templatePath, StrictUtf8.GetString(content), context, problems) is { } text ? Encoding.UTF8.GetBytes(text) : null;
            if (bytes is null)
            {
                continue;
            }

            if (produced.TryGetValue(path, out var earlier))
            {
                problems.Add(Diagnostic.Error(TemplateCodes.PathRenderedTwice, SourceLocation.WholeFile(templatePath),
                    $"renders to '{path}', as '{earlier.TemplatePath}' does"));
                continue;
            }

            produced[path] = new RenderedFile(path, bytes, templatePath);
        }

        return produced;
    }

    /// <summary>Renders one path of the template with the answers (a rename note's from or to).</summary>
    public static string? RenderPath(TemplateDefinition definition, string templatePath, IReadOnlyDictionary<string, string> answers) =>
        RenderText(templatePath, templatePath, Context(definition, answers), []);

    /// <summary>True for content Liquid must not touch: a NUL byte in the first 8,000 bytes (git's test) or bytes that are not UTF-8.</summary>
    public static bool IsBinary(ReadOnlySpan<byte> content)
    {
        if (content[..Math.Min(content.Length, 8000)].Contains((byte)0))
        {
            return true;
        }

        try
        {
            _ = StrictUtf8.GetCharCount(content);
            return false;
        }
        catch (DecoderFallbackException)
        {
            return true;
        }
    }

    private static TemplateContext Context(TemplateDefinition definition, IReadOnlyDictionary<string, string> answers)
    {
        var context = new TemplateContext(Options);
        foreach (var question in definition.Questions)
        {
            if (!answers.TryGetValue(question.Name, out var answer))
            {
                continue;
            }

            FluidValue value = question.Type switch
            {
                QuestionType.Bool => BooleanValue.Create(TemplateAnswers.Bool(answer) == true),
                QuestionType.Int => NumberValue.Create(decimal.Parse(answer, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
                _ => StringValue.Create(answer),
            };
            context.SetValue(question.Name, value);
        }

        return context;
    }

    private static bool Holds(string condition, TemplateContext context, List<Diagnostic> problems) =>
        RenderText("template.yaml", ConditionTemplate(condition), context, problems) == "1";

    private static string ConditionTemplate(string condition) => $"{{% if {condition} %}}1{{% endif %}}";

    private static string? RenderText(string file, string source, TemplateContext context, List<Diagnostic> problems)
    {
        if (!source.Contains("{{", StringComparison.Ordinal) && !source.Contains("{%", StringComparison.Ordinal))
        {
            return source; // most files of a template hold no Liquid: skip the parser
        }

        if (!Parser.TryParse(source, out var template, out var error))
        {
            problems.Add(Diagnostic.Error(TemplateCodes.LiquidSyntax, SourceLocation.WholeFile(file), $"Liquid syntax error: {error}"));
            return null;
        }

        try
        {
            return template.Render(context, NullEncoder.Default);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            problems.Add(Diagnostic.Error(TemplateCodes.RenderFailed, SourceLocation.WholeFile(file), $"cannot render: {ex.Message}"));
            return null;
        }
    }
}
