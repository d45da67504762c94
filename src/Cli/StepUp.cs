using AuthPlatform.Client;

namespace AuthPlatform.Cli;

/// <summary>Step-up for key creation and rotation: with 2FA on, a current code in <c>X-2FA-Code</c>: <c>--code</c>, or asked for once.</summary>
internal static class StepUp
{
    public static async Task<T> WithCodeAsync<T>(Context ctx, string? code, Func<string?, Task<T>> call)
    {
        try
        {
            return await call(CliApp.Text(code));
        }
        catch (AuthPlatformException e) when (e.Code == "mfa_required" && code is null && ctx.Env.In is { } input)
        {
            ctx.Env.Error.Write("This needs your second factor. Current 2FA code: ");
            var typed = CliApp.Text(await input.ReadLineAsync());
            if (typed is null)
            {
                throw;
            }

            return await call(typed);
        }
    }
}
