using AuthPlatform.Client.Credentials;

namespace AuthPlatform.Client.Http;

/// <summary>
/// Puts the client's credential on every request of the generated client, and renews an access token once when the
/// server answers 401 <c>token_expired</c> (the token expired before the client's clock said so).
/// </summary>
internal sealed class Authentication(Credential credential, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = await credential.ApplyAsync(request, cancellationToken).ConfigureAwait(false);
        if (!credential.CanRenew)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        // The request may go twice: keep its body.
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized
            || (await ErrorAnswers.ReadAsync(response, cancellationToken).ConfigureAwait(false)).Code != "token_expired")
        {
            return response;
        }

        response.Dispose();
        await credential.RenewAsync(sent, cancellationToken).ConfigureAwait(false);
        var again = await CopyAsync(request, cancellationToken).ConfigureAwait(false);
        await credential.ApplyAsync(again, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(again, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HttpRequestMessage> CopyAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        if (request.Content is not null)
        {
            copy.Content = new ByteArrayContent(await request.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false));
            foreach (var header in request.Content.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return copy;
    }
}
