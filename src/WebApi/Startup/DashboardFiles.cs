using Microsoft.Extensions.FileProviders;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// The web dashboard (SPEC section 9, ADR 0021): static files from <c>src/WebApi/wwwroot</c> served at
/// <c>/</c>. They come from the web root when it holds them (<c>dotnet run</c>, the tests) and otherwise
/// from the copy beside the assembly (a build started from another folder, a published server), so the
/// dashboard never depends on the working directory. Revalidated on every load (<c>no-cache</c> and an
/// ETag), so an upgraded server is seen at once; nothing is fetched from outside the server.
/// </summary>
public static class DashboardFiles
{
    private const string Index = "index.html";

    public static IApplicationBuilder UseDashboard(this WebApplication app)
    {
        var files = Locate(app.Environment);
        if (files is null)
        {
            app.Logger.LogWarning("The dashboard's files (wwwroot/{Index}) were not found; / answers 404.", Index);
            return app;
        }

        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, DefaultFileNames = [Index] });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
    }

    private static IFileProvider? Locate(IWebHostEnvironment environment)
    {
        if (environment.WebRootFileProvider.GetFileInfo(Index).Exists)
        {
            return environment.WebRootFileProvider;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return File.Exists(Path.Combine(beside, Index)) ? new PhysicalFileProvider(beside) : null;
    }
}
