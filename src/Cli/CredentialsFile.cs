using System.Text.Json;
using System.Text.Json.Serialization;
using AuthPlatform.Client;

namespace AuthPlatform.Cli;

/// <summary>
/// The signed-in user's tokens and the server they belong to, in <c>credentials.json</c> of the user's config folder
/// (<see cref="DefaultDirectory"/>): the SDK's <see cref="ITokenStore"/>, so every refresh is saved at once. On Unix the
/// folder is made <c>0700</c> and the file is written whole to a temporary file created <c>0600</c>, then renamed over the
/// old one: it is never readable by others, not even for a moment, and never half-written.
/// </summary>
public sealed class CredentialsFile(string directory) : ITokenStore
{
    public const string FileName = "credentials.json";

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    public string Directory { get; } = directory;

    public string Path => System.IO.Path.Combine(Directory, FileName);

    /// <summary>The server the stored tokens were issued by; set before the first save of a login.</summary>
    public Uri? Server { get; set; }

    /// <summary><c>$XDG_CONFIG_HOME/authplatform</c>, else <c>~/.config/authplatform</c>; on Windows <c>%APPDATA%\authplatform</c>.</summary>
    public static string DefaultDirectory(Func<string, string?> environment)
    {
        if (OperatingSystem.IsWindows())
        {
            return System.IO.Path.Combine(environment("APPDATA") ?? Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "authplatform");
        }

        var xdg = environment("XDG_CONFIG_HOME");
        var root = !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg)
            ? xdg
            : System.IO.Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return System.IO.Path.Combine(root, "authplatform");
    }

    /// <summary>What the file holds: the server and the tokens; null when there is no file.</summary>
    public async Task<Stored?> ReadAsync(CancellationToken ct)
    {
        try
        {
            await using var stream = File.OpenRead(Path);
            return await JsonSerializer.DeserializeAsync<Stored>(stream, Json, ct);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null; // a damaged file is as good as none: sign in again
        }
    }

    public async ValueTask<TokenSet?> LoadAsync(CancellationToken ct) => (await ReadAsync(ct))?.Tokens;

    public async ValueTask SaveAsync(TokenSet? tokens, CancellationToken ct)
    {
        if (tokens is null)
        {
            File.Delete(Path);
            return;
        }

        var server = Server ?? (await ReadAsync(ct))?.Server;
        CreateOwnerOnlyDirectory();
        var temporary = System.IO.Path.Combine(Directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            await using (var stream = new FileStream(temporary, options))
            {
                await JsonSerializer.SerializeAsync(stream, new Stored(server, tokens), Json, ct);
                await stream.FlushAsync(ct);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private void CreateOwnerOnlyDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory); // %APPDATA% is the user's own
            return;
        }

        System.IO.Directory.CreateDirectory(Directory, OwnerOnlyDirectory);
        File.SetUnixFileMode(Directory, OwnerOnlyDirectory); // it may have existed with wider rights
    }

    /// <summary>The file's content.</summary>
    public sealed record Stored(Uri? Server, TokenSet? Tokens);
}
