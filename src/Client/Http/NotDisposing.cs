namespace AuthPlatform.Client.Http;

/// <summary>Passes requests to a handler the client does not own (<see cref="AuthPlatformClientOptions.InnerHandler"/>), without disposing it.</summary>
internal sealed class NotDisposing(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override void Dispose(bool disposing)
    {
        // The inner handler belongs to whoever made it.
    }
}
