namespace Gatehouse.Storage;

/// <summary>
/// Creates Gatehouse's data folder and files for their owner only (0700 and 0600 on Unix): the
/// database holds token hashes, request history and encrypted keys, which no other local user
/// should read. Only what Gatehouse creates is restricted; an existing folder keeps the mode
/// its operator gave it.
/// </summary>
public static class PrivateFiles
{
    /// <summary>rwx for the owner, nothing for group and others.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner, nothing for group and others.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> as 0700 when it does not exist (missing parents get the default mode).</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, FolderMode);
        }
    }

    /// <summary>Creates an empty file as 0600 when it does not exist, so whatever writes it later keeps that mode.</summary>
    public static void CreateEmptyFile(string path)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        try
        {
            new FileStream(path, options).Dispose();
        }
        catch (IOException) when (File.Exists(path))
        {
            // There already (or created by a concurrent start): leave it as it is.
        }
    }
}
