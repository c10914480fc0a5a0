import "server-only";

// The film as people see it (the foundation's display rendering, stored by image sha256). The one
// place the report code reaches into storage, so the storage layout is known in one module only.
// WIRING PENDING: lib/storage does not exist yet; until it does there is no image to load.
export async function loadDisplayImage(imageSha256: string): Promise<Buffer | null> {
  void imageSha256;
  return null;
}

export async function hasDisplayImage(imageSha256: string): Promise<boolean> {
  return (await loadDisplayImage(imageSha256)) !== null;
}
