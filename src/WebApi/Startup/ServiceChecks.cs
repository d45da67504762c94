using AuthPlatform.Application.Admin.EnsureBootstrapAdministrator;
using FluentValidation;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// The start-up checks that need the built services but not the database, run by Program right
/// before the migrations, in the same one-line form (<see cref="StartupConfigurationException"/>):
/// the bootstrap administrator against the validator the application really uses (an extension
/// may replace the password policy), then the listening addresses (Kestrel only).
/// </summary>
public static class ServiceChecks
{
    public static async Task ThrowIfInvalidAsync(WebApplication app)
    {
        var reader = new SettingsReader(app.Configuration);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var validator = scope.ServiceProvider.GetRequiredService<IValidator<EnsureBootstrapAdministratorCommand>>();
            await AccountSettingsRules.CheckBootstrapAsync(reader, validator, app.Lifetime.ApplicationStopping);
        }

        StartupConfigurationException.ThrowIfAny(reader.Errors.Count > 0 ? reader.Errors : ListeningAddresses.FindTaken(app));
    }
}
