// One file to POST /api/analyses with upload progress (fetch cannot report upload progress; XHR can).

export interface UploadResult {
  ok: boolean;
  analysisId?: string;
  error?: string;
}

export function uploadFile(file: File, onProgress: (fraction: number) => void): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/analyses");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { analyses?: { id: string }[]; detail?: string } | null;
      if (xhr.status === 201 && body?.analyses?.[0]) resolve({ ok: true, analysisId: body.analyses[0].id });
      else resolve({ ok: false, error: body?.detail ?? `The server answered ${xhr.status}.` });
    };
    xhr.onerror = () => resolve({ ok: false, error: "The upload did not reach the server. Check the connection and retry." });
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}
