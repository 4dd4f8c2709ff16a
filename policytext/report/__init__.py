"""The researcher's outputs: the one-command report (:mod:`.build`), plots (:mod:`.plots`) and the policy
milestones of 2014–2022 (:mod:`.milestones`).
"""
