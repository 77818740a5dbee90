using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Templates;

namespace Gatehouse.Cli.Templates;

/// <summary>The steps <c>new</c>, <c>template update</c>, <c>diff</c> and <c>check</c> share; each reports problems as diagnostics.</summary>
internal static class TemplateWorkflow
{
    /// <summary>Parses <c>--answer k=v</c> values; null and a message when one lacks '='.</summary>
    public static Dictionary<string, string>? ParseAnswers(IEnumerable<string>? values, out string? problem)
    {
        problem = null;
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problem = $"--answer '{value}' must be NAME=VALUE, e.g. --answer app=billing";
                return null;
            }

            answers[value[..equals].Trim()] = value[(equals + 1)..];
        }

        return answers;
    }

    /// <summary>Asks one question in a terminal until the answer is valid; null when input ends.</summary>
    public static Func<TemplateQuestion, string?>? Asker(CliContext context) => !context.IsInteractive ? null : question =>
    {
        while (true)
        {
            var choices = question.Type == QuestionType.Choice ? $" ({string.Join("/", question.Choices)})" : question.Type == QuestionType.Bool ? " (yes/no)" : "";
            context.Out.Write($"{question.Help ?? question.Name}{choices}{(question.Default is null ? "" : $" [{question.Default}]")}: ");
            context.Out.Flush();
            var line = context.In.ReadLine();
            if (line is null)
            {
                return null;
            }

            var answer = line.Trim().Length == 0 ? question.Default : line.Trim();
            if (answer is not null && TemplateAnswers.Problem(question, answer) is not { } problem)
            {
                return answer;
            }

            context.Out.WriteLine(answer is null ? "  an answer is needed" : $"  {TemplateAnswers.Problem(question, answer)}");
        }
    };

    public static IReadOnlyDictionary<string, RenderedFile>? Render(TemplateVersion version, IReadOnlyDictionary<string, string> answers, List<Diagnostic> problems)
    {
        var before = problems.Count;
        var files = TemplateRenderer.Render(version.Definition, version.Files, answers, problems);
        for (var i = before; i < problems.Count; i++)
        {
            // Name the version in each rendering problem: "v1.1.0:src/Program.cs".
            var p = problems[i];
            problems[i] = p with { Location = p.Location with { File = $"{version.Tag}:{p.Location.File}" } };
        }

        return problems.Count > before ? null : files;
    }

    /// <summary>Reads the project's .gatehouse/template.yaml.</summary>
    public static TemplateRecord? ReadRecord(string projectRoot, List<Diagnostic> problems)
    {
        var file = Path.Combine(projectRoot, TemplateRecord.RelativePath);
        if (!File.Exists(file))
        {
            problems.Add(Diagnostic.Error(TemplateCodes.ProjectRecordMissing, SourceLocation.WholeFile(TemplateRecord.RelativePath),
                "this project was not made from a template (no .gatehouse/template.yaml); create one with 'gatehouse new'"));
            return null;
        }

        var (record, diagnostics) = TemplateRecord.Read(TemplateRecord.RelativePath, File.ReadAllBytes(file));
        problems.AddRange(diagnostics);
        return record;
    }

    /// <summary>Writes the produced files and the record; nothing is written when a problem came first.</summary>
    public static void WriteRecord(string projectRoot, TemplateRecord record)
    {
        var file = Path.Combine(projectRoot, TemplateRecord.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        WriteAtomically(file, System.Text.Encoding.UTF8.GetBytes(record.ToYaml()));
    }

    public static void WriteAtomically(string file, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = file + ".gatehouse-tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>True when <paramref name="projectRoot"/> is inside a git work tree with uncommitted changes.</summary>
    public static bool IsDirty(string projectRoot)
    {
        var inside = GitCli.Run(projectRoot, ["rev-parse", "--is-inside-work-tree"]);
        if (inside.ExitCode != 0)
        {
            return false; // not a git work tree: nothing to compare against
        }

        return GitCli.Run(projectRoot, ["status", "--porcelain", "--untracked-files=normal", "--", "."]).Output.Length > 0;
    }

    public static void Print(CliContext context, IEnumerable<Diagnostic> problems)
    {
        foreach (var problem in problems)
        {
            context.Error.WriteLine(problem.ToString());
        }
    }
}
