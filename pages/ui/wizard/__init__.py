"""The assessment wizard (pages/bedomning.py): state.py holds the session keys and the
button callbacks, widgets.py the labelled inputs, steps.py one renderer per step, panels.py
what surrounds the steps. The widget <-> draft mapping is logic/presentation/wizard_form.py."""
