using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Server.Tests.Hosting;

/// <summary>
/// `gatehouse serve` does not watch the folder it starts in. The host's default watch for
/// configuration changes takes one inotify watch per folder below the working directory,
/// recursively: 30,893 in this repository, and every folder on the machine for a service started
/// in /. Gatehouse reads its settings from GATEHOUSE_* variables, so there is nothing to watch.
/// </summary>
public sealed class WorkingDirectoryTests
{
    [Fact]
    public async Task A_server_started_in_a_deep_folder_takes_no_watch_per_folder()
    {
        var root = Directory.CreateTempSubdirectory("gatehouse-cwd-").FullName;
        var data = Path.Combine(root, "data");
        try
        {
            var folders = Path.Combine(root, "repository");
            for (var i = 0; i < 300; i++)
            {
                Directory.CreateDirectory(Path.Combine(folders, $"app-{i:D3}", "config"));
            }

            using var server = await ServerProcess.StartAsync(data, workingDirectory: folders);

            Assert.True(InotifyWatches(server.Id) < 10, $"the server holds {InotifyWatches(server.Id)} inotify watches for 600 folders");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The inotify watches a process holds, from /proc (one `inotify wd:` line per watch).</summary>
    private static int InotifyWatches(int pid)
    {
        var count = 0;
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            if (new FileInfo(fd).LinkTarget == "anon_inode:inotify")
            {
                count += File.ReadLines($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}").Count(l => l.StartsWith("inotify ", StringComparison.Ordinal));
            }
        }

        return count;
    }
}
