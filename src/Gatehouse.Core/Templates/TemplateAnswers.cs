using System.Globalization;
using System.Text.RegularExpressions;
using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Core.Templates;

/// <summary>Checks answers against a template's questions and fills in what is missing.</summary>
public static class TemplateAnswers
{
    /// <summary>Why <paramref name="value"/> is not an answer to <paramref name="question"/>, or null when it is.</summary>
    public static string? Problem(TemplateQuestion question, string value) => question.Type switch
    {
        QuestionType.Bool when Bool(value) is null => $"'{value}' is not true or false",
        QuestionType.Int when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => $"'{value}' is not a whole number",
        QuestionType.Choice when !question.Choices.Contains(value, StringComparer.Ordinal) => $"'{value}' is not one of: {string.Join(", ", question.Choices)}",
        QuestionType.String when question.Pattern is { } pattern && !Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)) =>
            $"'{value}' does not match the pattern {pattern}",
        _ => null,
    };

    /// <summary>The stored form of a valid answer: booleans as true/false, the rest as given.</summary>
    public static string Normalize(TemplateQuestion question, string value) =>
        question.Type == QuestionType.Bool && Bool(value) is { } b ? (b ? "true" : "false") : value;

    /// <summary>
    /// Answers for every question: <paramref name="given"/> first, then <paramref name="stored"/>, then
    /// <paramref name="ask"/> (a terminal; null when there is none), then the default. Reports every
    /// problem at once; answers to questions a template no longer asks are dropped.
    /// </summary>
    public static Dictionary<string, string> Resolve(
        TemplateDefinition definition,
        IReadOnlyDictionary<string, string> stored,
        IReadOnlyDictionary<string, string> given,
        Func<TemplateQuestion, string?>? ask,
        List<Diagnostic> problems)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        var known = definition.Questions.Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in given.Keys.Where(n => !known.Contains(n)))
        {
            problems.Add(Diagnostic.Error(TemplateCodes.UnknownAnswer, SourceLocation.WholeFile("--answer"),
                $"the template asks no question '{name}'; it asks: {string.Join(", ", known)}"));
        }

        foreach (var question in definition.Questions)
        {
            var value = given.TryGetValue(question.Name, out var g) ? g
                : stored.TryGetValue(question.Name, out var s) ? s
                : ask?.Invoke(question) ?? question.Default;
            if (value is null)
            {
                problems.Add(Diagnostic.Error(TemplateCodes.MissingAnswer, SourceLocation.WholeFile("--answer"),
                    $"question '{question.Name}' has no answer and no default; pass --answer {question.Name}=VALUE{(question.Help is null ? "" : $" ({question.Help})")}"));
                continue;
            }

            if (Problem(question, value) is { } problem)
            {
                problems.Add(Diagnostic.Error(TemplateCodes.InvalidAnswer, SourceLocation.WholeFile("--answer"), $"answer to '{question.Name}': {problem}"));
                continue;
            }

            answers[question.Name] = Normalize(question, value);
        }

        return answers;
    }

    internal static bool? Bool(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "y" => true,
        "false" or "no" or "n" => false,
        _ => null,
    };
}
