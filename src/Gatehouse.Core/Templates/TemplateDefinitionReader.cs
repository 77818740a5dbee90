using System.Text.RegularExpressions;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Templates;

/// <summary>
/// Reads a template's <c>template.yaml</c>. Never throws for bad input: every problem comes
/// back as a diagnostic with FILE:LINE:COLUMN, all of them at once.
/// </summary>
public static partial class TemplateDefinitionReader
{
    private static readonly string[] TopKeys = ["name", "description", "minGatehouseVersion", "questions", "files", "renamed", "migrations"];
    private static readonly string[] QuestionKeys = ["name", "help", "type", "default", "pattern", "choices"];
    private static readonly string[] FileKeys = ["skip", "when", "verbatim"];
    private static readonly string[] WhenKeys = ["paths", "if"];
    private static readonly string[] RenameKeys = ["from", "to"];

    [GeneratedRegex("^[a-z][a-zA-Z0-9_]{0,62}$")]
    private static partial Regex QuestionName();

    public static (TemplateDefinition? Definition, IReadOnlyList<Diagnostic> Diagnostics) Read(string file, ReadOnlySpan<byte> content)
    {
        var document = YamlReader.Read(file, content);
        if (document.Root is null)
        {
            return (null, document.Diagnostics);
        }

        var diagnostics = new List<Diagnostic>(document.Diagnostics);
        var reader = new Checker(file, diagnostics);
        var definition = reader.Definition(document.Root);
        diagnostics.Sort(DiagnosticOrder.Instance);
        return diagnostics.Any(d => d.Severity == Severity.Error) ? (null, diagnostics) : (definition, diagnostics);
    }

    private sealed class Checker(string file, List<Diagnostic> diagnostics)
    {
        public TemplateDefinition? Definition(YamlNode root)
        {
            if (root is not YamlMapping top)
            {
                Error(TemplateCodes.WrongType, root, $"template.yaml must be a mapping of keys and values, not {root.Describe()}");
                return null;
            }

            string? name = null, description = null;
            SemVersion? minimum = null;
            var questions = new List<TemplateQuestion>();
            var skip = new List<PathGlob>();
            var when = new List<TemplateFileCondition>();
            var verbatim = new List<PathGlob>();
            var renamed = new List<TemplateRename>();
            var migrations = new List<KeyValuePair<SemVersion, string>>();
            foreach (var (key, value) in top.Entries)
            {
                switch (key.Value)
                {
                    case "name":
                        name = Text(value, "name");
                        break;
                    case "description":
                        description = Text(value, "description");
                        break;
                    case "minGatehouseVersion":
                        minimum = Version(value, "minGatehouseVersion");
                        break;
                    case "questions":
                        Questions(value, questions);
                        break;
                    case "files":
                        Files(value, skip, when, verbatim);
                        break;
                    case "renamed":
                        Renamed(value, renamed);
                        break;
                    case "migrations":
                        Migrations(value, migrations);
                        break;
                    default:
                        Unknown(key, "template.yaml", TopKeys);
                        break;
                }
            }

            return new TemplateDefinition(name, description, minimum, questions, skip, when, verbatim, renamed, migrations);
        }

        private void Questions(YamlNode node, List<TemplateQuestion> questions)
        {
            if (List(node, "questions") is not { } list)
            {
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in list.Items)
            {
                if (Question(item) is { } question)
                {
                    if (!seen.Add(question.Name))
                    {
                        Error(TemplateCodes.DuplicateQuestion, item, $"question '{question.Name}' is asked twice; each name is one Liquid variable");
                    }

                    questions.Add(question);
                }
            }
        }

        private TemplateQuestion? Question(YamlNode node)
        {
            if (node is not YamlMapping mapping)
            {
                Error(TemplateCodes.WrongType, node, $"a question must be a mapping with name, type, help and default, not {node.Describe()}");
                return null;
            }

            string? name = null, help = null, type = null, defaultValue = null, pattern = null;
            YamlNode? typeNode = null, defaultNode = null, patternNode = null, choicesNode = null;
            var choices = new List<string>();
            foreach (var (key, value) in mapping.Entries)
            {
                switch (key.Value)
                {
                    case "name":
                        name = Text(value, "a question's name");
                        if (name is not null && !QuestionName().IsMatch(name))
                        {
                            Error(TemplateCodes.InvalidQuestionName, value,
                                $"question name '{name}' must start with a lowercase letter and hold only letters, digits and '_' (it is a Liquid variable)");
                            name = null;
                        }

                        break;
                    case "help":
                        help = Text(value, "help");
                        break;
                    case "type":
                        typeNode = value;
                        type = Text(value, "type");
                        break;
                    case "default":
                        defaultNode = value;
                        defaultValue = value is YamlScalar { IsNull: false } scalar ? scalar.Value : Text(value, "default");
                        break;
                    case "pattern":
                        patternNode = value;
                        pattern = Text(value, "pattern");
                        break;
                    case "choices":
                        choicesNode = value;
                        Strings(value, "choices", choices);
                        break;
                    default:
                        Unknown(key, "a question", QuestionKeys);
                        break;
                }
            }

            if (name is null)
            {
                if (!mapping.Entries.Any(e => e.Key.Value == "name"))
                {
                    Error(TemplateCodes.MissingKey, mapping, "a question is missing 'name': the Liquid variable its answer fills, e.g. name: app");
                }

                return null;
            }

            var kind = QuestionType.String;
            if (type is not null)
            {
                switch (type)
                {
                    case "string": kind = QuestionType.String; break;
                    case "bool": kind = QuestionType.Bool; break;
                    case "choice": kind = QuestionType.Choice; break;
                    case "int": kind = QuestionType.Int; break;
                    default:
                        Error(TemplateCodes.InvalidQuestionType, typeNode!, $"question '{name}' has type '{type}'; expected one of: string, bool, choice, int");
                        return null;
                }
            }

            if (pattern is not null)
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException ex)
                {
                    Error(TemplateCodes.InvalidPattern, patternNode!, $"pattern of question '{name}' is not a valid regular expression: {ex.Message}");
                    pattern = null;
                }
            }

            if (kind == QuestionType.Choice && choices.Count == 0)
            {
                Error(TemplateCodes.InvalidChoices, choicesNode ?? mapping, $"question '{name}' is a choice but lists no choices, e.g. choices: [postgres, sqlite]");
                return null;
            }

            if (kind != QuestionType.Choice && choicesNode is not null)
            {
                Error(TemplateCodes.InvalidChoices, choicesNode, $"question '{name}' lists choices but its type is {type ?? "string"}; use type: choice");
            }

            var question = new TemplateQuestion(name, help, kind, defaultValue, pattern, choices);
            if (defaultValue is not null && TemplateAnswers.Problem(question, defaultValue) is { } problem)
            {
                Error(TemplateCodes.InvalidDefault, defaultNode!, $"default of question '{name}': {problem}");
            }

            return question;
        }

        private void Files(YamlNode node, List<PathGlob> skip, List<TemplateFileCondition> when, List<PathGlob> verbatim)
        {
            if (node is not YamlMapping mapping)
            {
                Error(TemplateCodes.WrongType, node, $"files must be a mapping with skip, when and verbatim, not {node.Describe()}");
                return;
            }

            foreach (var (key, value) in mapping.Entries)
            {
                switch (key.Value)
                {
                    case "skip":
                        Globs(value, "files.skip", skip);
                        break;
                    case "verbatim":
                        Globs(value, "files.verbatim", verbatim);
                        break;
                    case "when":
                        if (List(value, "files.when") is { } list)
                        {
                            foreach (var item in list.Items)
                            {
                                if (Condition(item) is { } condition)
                                {
                                    when.Add(condition);
                                }
                            }
                        }

                        break;
                    default:
                        Unknown(key, "files", FileKeys);
                        break;
                }
            }
        }

        private TemplateFileCondition? Condition(YamlNode node)
        {
            if (node is not YamlMapping mapping)
            {
                Error(TemplateCodes.WrongType, node, $"an entry of files.when must be a mapping with paths and if, not {node.Describe()}");
                return null;
            }

            var paths = new List<PathGlob>();
            string? condition = null;
            foreach (var (key, value) in mapping.Entries)
            {
                switch (key.Value)
                {
                    case "paths":
                        Globs(value, "paths", paths);
                        break;
                    case "if":
                        condition = Text(value, "if");
                        if (condition is not null && TemplateRenderer.ConditionProblem(condition) is { } problem)
                        {
                            Error(TemplateCodes.InvalidCondition, value, $"condition '{condition}' is not a Liquid expression: {problem}");
                            condition = null;
                        }

                        break;
                    default:
                        Unknown(key, "an entry of files.when", WhenKeys);
                        break;
                }
            }

            foreach (var required in WhenKeys)
            {
                if (!mapping.Entries.Any(e => e.Key.Value == required))
                {
                    Error(TemplateCodes.MissingKey, mapping, $"an entry of files.when is missing '{required}', e.g. paths: [\".github/**\"] and if: ci");
                }
            }

            return condition is null || paths.Count == 0 ? null : new TemplateFileCondition(paths, condition);
        }

        private void Renamed(YamlNode node, List<TemplateRename> renamed)
        {
            if (List(node, "renamed") is not { } list)
            {
                return;
            }

            foreach (var item in list.Items)
            {
                if (item is not YamlMapping mapping)
                {
                    Error(TemplateCodes.WrongType, item, $"an entry of renamed must be a mapping with from and to, not {item.Describe()}");
                    continue;
                }

                string? from = null, to = null;
                foreach (var (key, value) in mapping.Entries)
                {
                    switch (key.Value)
                    {
                        case "from": from = Text(value, "from"); break;
                        case "to": to = Text(value, "to"); break;
                        default: Unknown(key, "an entry of renamed", RenameKeys); break;
                    }
                }

                if (from is null || to is null)
                {
                    Error(TemplateCodes.MissingKey, mapping, "an entry of renamed needs both 'from' and 'to' (paths in the template)");
                    continue;
                }

                renamed.Add(new TemplateRename(from.TrimStart('/'), to.TrimStart('/')));
            }
        }

        private void Migrations(YamlNode node, List<KeyValuePair<SemVersion, string>> migrations)
        {
            if (node is not YamlMapping mapping)
            {
                Error(TemplateCodes.WrongType, node, $"migrations must map versions to notes, e.g. 2.0.0: \"Program.cs moved to src/\", not {node.Describe()}");
                return;
            }

            foreach (var (key, value) in mapping.Entries)
            {
                var version = SemVersion.TryParse(key.Value);
                if (version is null)
                {
                    Error(TemplateCodes.InvalidVersion, key, $"migration note key '{key.Value}' is not a version like 2.0.0");
                    continue;
                }

                if (Text(value, $"the migration note of {key.Value}") is { } text)
                {
                    migrations.Add(new(version, text.Trim()));
                }
            }
        }

        private SemVersion? Version(YamlNode node, string what)
        {
            if (Text(node, what) is not { } text)
            {
                return null;
            }

            var version = SemVersion.TryParse(text);
            if (version is null)
            {
                Error(TemplateCodes.InvalidVersion, node, $"{what} '{text}' is not a version like 0.1.0");
            }

            return version;
        }

        private void Globs(YamlNode node, string what, List<PathGlob> into)
        {
            var texts = new List<string>();
            Strings(node, what, texts);
            into.AddRange(texts.Select(PathGlob.Create));
        }

        private void Strings(YamlNode node, string what, List<string> into)
        {
            if (List(node, what) is not { } list)
            {
                return;
            }

            foreach (var item in list.Items)
            {
                if (Text(item, $"an item of {what}") is { } text)
                {
                    into.Add(text);
                }
            }
        }

        private YamlSequence? List(YamlNode node, string what)
        {
            if (node is YamlSequence sequence)
            {
                return sequence;
            }

            Error(TemplateCodes.WrongType, node, node is YamlScalar { IsNull: true } ? $"{what} has no value; expected a list" : $"{what} must be a list, not {node.Describe()}");
            return null;
        }

        private string? Text(YamlNode node, string what)
        {
            if (node is YamlScalar { IsNull: false } scalar)
            {
                return scalar.Value;
            }

            Error(TemplateCodes.WrongType, node, node is YamlScalar ? $"{what} has no value; expected text" : $"{what} must be text, not {node.Describe()}");
            return null;
        }

        private void Unknown(YamlScalar key, string where, IReadOnlyList<string> allowed) =>
            Error(TemplateCodes.UnknownKey, key, $"unknown key '{key.Value}' in {where}; expected one of: {string.Join(", ", allowed)}");

        private void Error(string code, YamlNode at, string message) => diagnostics.Add(Diagnostic.Error(code, at.At(file), message));
    }
}
