using AuthPlatform.Application.Admin.EnsureBootstrapAdministrator;
using FluentValidation;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// The start-up checks that need the built services but not the database, run by Program right
/// before the migrations, in the same one-line form as <see cref="StartupConfigurationValidator"/>:
/// the bootstrap administrator against the validator the application really uses (an extension
/// may replace the password policy), then the listening addresses (Kestrel only).
/// </summary>
public static class ServiceChecks
{
    public static async Task<bool> PassAsync(WebApplication app, TextWriter error)
    {
        var reader = new SettingsReader(app.Configuration);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var validator = scope.ServiceProvider.GetRequiredService<IValidator<EnsureBootstrapAdministratorCommand>>();
            await AccountSettingsRules.CheckBootstrapAsync(reader, validator, app.Lifetime.ApplicationStopping);
        }

        var errors = reader.Errors.Count > 0 ? reader.Errors : ListeningAddresses.FindTaken(app);
        foreach (var line in errors)
        {
            error.WriteLine(line);
        }

        error.Flush();
        if (errors.Count > 0 && !ListeningAddresses.IsKestrel(app))
        {
            // The tests' in-memory host was built already: a factory would take an early return for
            // a started server, so the refusal is thrown there (a real process exits with code 1).
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }

        return errors.Count == 0;
    }
}
