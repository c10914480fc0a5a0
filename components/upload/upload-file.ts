// One file to POST /api/analyses with upload progress (fetch cannot report upload progress; XHR can).

export interface UploadResult {
  ok: boolean;
  /** Set once the server accepted (stored and queued) the file. */
  analysisId?: string;
  status?: "queued" | "processing" | "completed" | "failed";
  error?: string;
  /** The file is a DICOM instance received before: the answer is the analysis it became. */
  alreadyReceived?: boolean;
}

/** `purpose: "validation"` files a validation set's film apart from clinical work (never in the worklist). */
export function uploadFile(file: File, onProgress: (fraction: number) => void, options: { purpose?: "clinical" | "validation" } = {}): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", options.purpose === "validation" ? "/api/analyses?purpose=validation" : "/api/analyses");
    xhr.responseType = "json";
    // A retry of the same file after a dropped connection must not queue it twice.
    xhr.setRequestHeader("Idempotency-Key", crypto.randomUUID());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { analyses?: { id: string; status: UploadResult["status"]; alreadyReceived?: boolean }[]; detail?: string } | null;
      const first = body?.analyses?.[0];
      if ((xhr.status === 200 || xhr.status === 201 || xhr.status === 202) && first) {
        resolve({ ok: true, analysisId: first.id, status: first.status, alreadyReceived: first.alreadyReceived === true });
      }
      else resolve({ ok: false, error: body?.detail ?? `The server answered ${xhr.status}.` });
    };
    xhr.onerror = () => resolve({ ok: false, error: "The upload did not reach the server. Check the connection and retry." });
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}
