import { Alert } from "@/components/ui/alert";
import { UNTRAINED_VALIDATION_NOTICE } from "@/lib/validation/evaluate-set";

/** On every validation of the untrained model: its numbers demonstrate the method, nothing else. */
export function UntrainedValidationBanner() {
  return (
    <Alert tone="danger" title="Untrained demonstration model" testId="untrained-validation-banner">
      {UNTRAINED_VALIDATION_NOTICE}
    </Alert>
  );
}
