using System.Diagnostics;

namespace Gatehouse.Cli.Tests.Templates;

/// <summary>A real git repository in a temporary folder, driven with the git command line.</summary>
internal sealed class GitFixture : IDisposable
{
    public GitFixture(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gatehouse-{name}-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        Git("init", "--quiet", "--initial-branch=main");
        Git("config", "user.email", "test@example.com");
        Git("config", "user.name", "Test");
        Git("config", "commit.gpgsign", "false");
    }

    public string Path { get; }

    public string Full(string relative) => System.IO.Path.Combine(Path, relative);

    public GitFixture Write(string relative, string content) => WriteBytes(relative, System.Text.Encoding.UTF8.GetBytes(content));

    public GitFixture WriteBytes(string relative, byte[] content)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Full(relative))!);
        File.WriteAllBytes(Full(relative), content);
        return this;
    }

    public GitFixture Delete(string relative)
    {
        File.Delete(Full(relative));
        return this;
    }

    public string Read(string relative) => File.ReadAllText(Full(relative));

    public bool Exists(string relative) => File.Exists(Full(relative));

    /// <summary>Commits everything and tags it: one template version.</summary>
    public GitFixture Release(string tag)
    {
        Commit(tag);
        Git("tag", tag);
        return this;
    }

    public GitFixture Commit(string message)
    {
        Git("add", "--all");
        Git("commit", "--quiet", "--allow-empty", "-m", message);
        return this;
    }

    public string Git(params string[] args) => Run(Path, args);

    public static string Run(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        }

        return output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
