using Microsoft.AspNetCore.Connections;

namespace AuthPlatform.WebApi.Startup;

/// <summary>The last step of Program: run until shut down, turning a port taken since the check into one line and exit code 1.</summary>
public static class ServerRun
{
    /// <summary>Runs the server; if Kestrel cannot bind after all (another process took the port meanwhile), one line and exit code 1.</summary>
    public static async Task<int> RunAsync(WebApplication app, TextWriter error)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (IOException e) when (e.InnerException is AddressInUseException || e.Message.Contains("already in use", StringComparison.OrdinalIgnoreCase))
        {
            var urls = string.Join(";", ListeningAddresses.Configured(app.Configuration).Select(c => c.Url));
            error.WriteLine(ListeningAddresses.TakenLine("Urls", urls, $"Kestrel could not bind ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')})"));
            return 1;
        }
    }
}
