using Microsoft.AspNetCore.Connections;

namespace AuthPlatform.WebApi.Startup;

/// <summary>The last step of Program: run until shut down; a port taken since the check is one line and exit code 1.</summary>
public static class ServerRun
{
    /// <summary>Runs the server; if Kestrel cannot bind after all (another process took the port meanwhile), a <see cref="StartupConfigurationException"/>.</summary>
    public static async Task RunCheckedAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
        }
        catch (IOException e) when (e.InnerException is AddressInUseException || e.Message.Contains("already in use", StringComparison.OrdinalIgnoreCase))
        {
            var urls = string.Join(";", ListeningAddresses.Configured(app.Configuration).Select(c => c.Url));
            throw new StartupConfigurationException(
                [ListeningAddresses.TakenLine("Urls", urls, $"Kestrel could not bind ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')})")]);
        }
    }
}
